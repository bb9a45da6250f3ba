require "redirect-dsn";
redirect :notify "NEVER,DELAY" "a@example.com";
