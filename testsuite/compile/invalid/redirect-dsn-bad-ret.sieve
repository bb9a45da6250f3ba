require "redirect-dsn";
redirect :ret "BODY" "a@example.com";
