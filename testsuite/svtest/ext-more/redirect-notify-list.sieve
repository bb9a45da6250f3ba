require "redirect-dsn";
redirect :notify "success,delay" :ret "hdrs" "list@example.com";
