from cases.forms.entry import CaseEntry

__all__ = ["CaseEntry"]
