"""``beatbook demo``: the site on its own SQLite file, with real Staffordshire data bundled."""
