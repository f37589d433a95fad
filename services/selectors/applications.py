"""selectors of the services register: applications."""
