"""views of the services register: applications."""
