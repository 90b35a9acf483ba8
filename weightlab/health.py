"""Training health: the thresholds that call a hidden unit dead or saturated.

A hidden unit is *dead* when f'(z) is exactly 0 on every sample (only a ReLU can
die), *saturated* when f'(z) is below ``SATURATED_SLOPE`` of its largest value on
at least ``SATURATED_SHARE`` of the samples (and it is not dead).
"""
SATURATED_SLOPE = 0.05   # f'(z) below 5% of its largest value ...
SATURATED_SHARE = 0.9    # ... on at least 90% of the samples
