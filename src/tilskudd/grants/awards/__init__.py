"""The grant after its decision (*tilskudd*): the offer, its acceptance, its payment plan and its timeline."""
