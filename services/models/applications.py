"""models of the services register: applications."""
