"""The SOP's rules as pure Python: no Textual, no Peewee, no I/O."""
