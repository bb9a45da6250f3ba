require "redirect-deliverby";
redirect :bytimerelative 86400 :bytrace "trace@example.com";
