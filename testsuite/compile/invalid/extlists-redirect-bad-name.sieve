require "extlists";
redirect :list "not a uri";
