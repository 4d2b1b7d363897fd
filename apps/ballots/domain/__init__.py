"""Pure voting rules (tally, weights, bloc detection): plain data in, plain data out, no Django."""
