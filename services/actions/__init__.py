"""The services register's actions, split like its models: catalogue, applications."""
