require "copy";
redirect :copy "r1@example.com";
redirect :copy "r2@example.com";
redirect :copy "r3@example.com";
redirect :copy "r4@example.com";
redirect :copy "r5@example.com";
