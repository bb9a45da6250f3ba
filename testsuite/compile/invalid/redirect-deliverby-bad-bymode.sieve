require "redirect-deliverby";
redirect :bymode "later" :bytimerelative 60 "a@example.com";
