"""Import of cases from files: readers, documents, the engine behind the API, the page and the command."""
