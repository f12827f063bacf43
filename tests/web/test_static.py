"""The vendored Designsystemet files and our layout CSS are served without npm."""

import re

import pytest
from django.contrib.staticfiles import finders


@pytest.mark.parametrize(
    "path",
    [
        "vendor/designsystemet/designsystemet.css",
        "vendor/designsystemet/theme.css",
        "vendor/designsystemet/LICENSE",
        "vendor/inter/inter.css",
        "vendor/inter/inter-latin-wght-normal.woff2",
        "tilskudd.css",
    ],
)
def test_static_file_is_found(path):
    assert finders.find(path), f"{path} is not found by the static files finders"


def test_vendored_readme_names_the_version():
    readme = open(finders.find("vendor/designsystemet/README.md"), encoding="utf-8").read()
    assert re.search(r"@digdir/designsystemet-css@\d+\.\d+\.\d+", readme)


@pytest.mark.django_db
def test_every_stylesheet_the_layout_links_is_found(client):
    html = client.get("/").content.decode()
    links = re.findall(r'<link rel="stylesheet" href="/static/([^"]+)"', html)
    assert len(links) == 4
    for path in links:
        assert finders.find(path), path
