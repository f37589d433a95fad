"""filters of the services register: applications."""
