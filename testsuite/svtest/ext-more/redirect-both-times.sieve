require "redirect-deliverby";
redirect :bytimerelative 5 :bytimeabsolute "2040-01-01T00:00:00Z" "a@example.com";
