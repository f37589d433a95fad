"""actions of the services register: applications."""
