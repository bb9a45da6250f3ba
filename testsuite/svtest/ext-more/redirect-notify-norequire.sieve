redirect :notify "NEVER" "a@example.com";
