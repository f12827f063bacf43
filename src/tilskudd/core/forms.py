"""Form fields every app shares (issue #13, point 6).

:class:`NokField`: an amount in whole kroner that accepts what people write here — «100 000»,
«100.000,-», «kr 100 000» — read by :func:`tilskudd.core.formatting.read_nok`, the one reader of
amounts (the application form uses it too). It is a text input with a numeric keyboard, not
``type="number"``, which would refuse the spaces and full stops before the server ever saw them.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from tilskudd.core.formatting import read_nok


class NokField(forms.IntegerField):
    widget = forms.TextInput

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})

    def widget_attrs(self, widget):
        # IntegerField would add min/max/step, which only mean something on type="number".
        return forms.Field.widget_attrs(self, widget)

    def to_python(self, value):
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, int):
            return value
        amount = read_nok(str(value))
        if amount is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return amount
