"""skinevidence"""
