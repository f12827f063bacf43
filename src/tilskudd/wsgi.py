import os

from django.core.wsgi import get_wsgi_application

from tilskudd.core.warm import SettleWhenWarm

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tilskudd.settings")
# A warm worker's long-lived objects out of the garbage collector's full passes (tilskudd.core.warm, issue #14).
application = SettleWhenWarm(get_wsgi_application())
