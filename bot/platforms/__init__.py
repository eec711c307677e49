"""Front doors: each speaks one platform and calls the core. The core never imports from here,
except the neutral types in `base`."""
