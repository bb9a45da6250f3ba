require "redirect-deliverby";
redirect :bytimeabsolute "2001-01-01T00:00:00Z" "cellphone@example.com";
