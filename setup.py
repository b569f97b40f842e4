"""Copies the clinician's files (content.yaml, content.es.yaml, layouts/) into the package when a wheel is built.

They live at the top of the repository, where a clinician edits them; `handouts.home` reads these
copies in an installed tool and the checkout's own files in an editable install.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

TOP = Path(__file__).resolve().parent


class BuildWithData(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        data = Path(self.build_lib) / "handouts" / "data"
        (data / "layouts").mkdir(parents=True, exist_ok=True)
        shutil.copy2(TOP / "content.yaml", data / "content.yaml")
        shutil.copy2(TOP / "content.es.yaml", data / "content.es.yaml")  # the Spanish, found beside it
        for layout in sorted((TOP / "layouts").iterdir()):
            if layout.is_file():
                shutil.copy2(layout, data / "layouts" / layout.name)


setup(cmdclass={"build_py": BuildWithData})
