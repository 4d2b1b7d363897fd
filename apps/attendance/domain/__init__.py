"""Pure attendance rules (eligibility, pledge settlement): plain data in, plain data out, no Django."""
