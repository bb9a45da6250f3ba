require "redirect-dsn";
redirect :notify "Delay,Failure,Success" "all@example.com";
