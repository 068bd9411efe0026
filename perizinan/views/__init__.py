"""Screens of the perizinan module (short function views; writes only through ``services``)."""
