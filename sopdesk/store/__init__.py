"""Where the SOP's data is stored: Peewee models, the database, migrations and search."""
