"""views of the services register: catalogue."""
