"""The services register's forms, split like its models: catalogue, applications."""
