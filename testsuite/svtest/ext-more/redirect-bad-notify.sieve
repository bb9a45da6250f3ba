require "redirect-dsn";
redirect :notify "NEVER,SUCCESS" "a@example.com";
