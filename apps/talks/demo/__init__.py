"""The demo conference behind `manage.py seed_demo`: `plan` invents it, `load` writes it."""
