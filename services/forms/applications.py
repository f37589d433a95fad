"""forms of the services register: applications."""
