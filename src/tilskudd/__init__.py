"""tilskudd — grant administration for Norwegian public grant schemes."""
