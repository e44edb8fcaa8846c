[environments.demo
