"""Payments (utbetaling): payment orders, batches and the files for the bank."""
