"""Pure scheduling rules (selection, time and room assignment): plain data in, plain data out, no Django."""
