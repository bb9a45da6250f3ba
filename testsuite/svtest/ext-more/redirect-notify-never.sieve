require ["copy", "redirect-dsn"];
redirect :copy :notify "NEVER" "elsewhere@example.com";
