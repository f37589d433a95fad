"""actions of the services register: catalogue."""
