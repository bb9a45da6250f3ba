require "redirect-deliverby";
redirect :bytimeabsolute "2040-13-01T00:00Z" "a@example.com";
