require;
