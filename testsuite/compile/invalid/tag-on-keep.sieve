keep :copy;
