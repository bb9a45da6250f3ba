notify "mailto:a@example.org";
