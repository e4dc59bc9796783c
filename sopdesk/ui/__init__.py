"""The Textual workbench: screens, widgets and the app."""
