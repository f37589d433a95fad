"""forms of the services register: catalogue."""
