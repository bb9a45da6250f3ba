if require "fileinto" { keep; }
