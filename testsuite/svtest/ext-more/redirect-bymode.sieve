require "redirect-deliverby";
redirect :bytimerelative 60 :bymode "return" :bytrace "cellphone@example.com";
