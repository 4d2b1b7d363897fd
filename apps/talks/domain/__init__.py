"""Pure rules about talks (no Django): reading talk proposals from other systems' files."""
