require "redirect-deliverby";
redirect :bytimeabsolute "2040-01-01 00:00:00" "a@example.com";
