"""Head pose (yaw, pitch, roll) from the five detector keypoints, no landmark model.

A geometric estimate: after removing roll, the nose tip's offset from the eye-mouth
midline grows with tan(yaw), scaled by how far a nose protrudes in front of the eyes
relative to the eye distance (ratios from a generic 3D face). Pitch likewise from the
nose's height between the eye line and the mouth line. Good to a few degrees near
frontal, which is all a gate needs, and it flips sign exactly under a mirror.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

NOSE_DEPTH_PER_EYE_DISTANCE = 0.41  # generic head: nose tip ahead of the eye plane
NOSE_DEPTH_PER_EYE_MOUTH = 0.40
# Where SCRFD's nose keypoint sits between the eye line (0) and the mouth line (1) on a
# frontal face. The ArcFace template says 0.49, but SCRFD marks the nose tip lower:
# the median over the 72 mostly-frontal portraits in ../shared/faces/{deepface,friends}
# is 0.60 (with 0.49 they read as 15 degrees "looking down").
FRONTAL_NOSE_HEIGHT = 0.60


@dataclass(frozen=True)
class HeadPose:
    yaw: float  # + when the face turns towards the image's right
    pitch: float  # + when looking up
    roll: float  # + for a clockwise in-image tilt


def estimate_pose(keypoints: np.ndarray) -> HeadPose:
    kp = np.asarray(keypoints, dtype=np.float64)
    left_eye, right_eye, nose, left_mouth, right_mouth = kp
    eye_vec = right_eye - left_eye
    roll = math.degrees(math.atan2(eye_vec[1], eye_vec[0]))
    # Undo roll about the eye midpoint so the eye line is horizontal.
    c, s = math.cos(-math.radians(roll)), math.sin(-math.radians(roll))
    rot = np.array([[c, -s], [s, c]])
    eye_mid = (left_eye + right_eye) / 2
    pts = (kp - eye_mid) @ rot.T
    eye_distance = max(1e-6, float(np.linalg.norm(eye_vec)))
    mouth_mid = (pts[3] + pts[4]) / 2
    eye_mouth = max(1e-6, float(mouth_mid[1]))
    # Horizontal: nose offset from the eye-to-mouth midline at the nose's height.
    t = pts[2, 1] / eye_mouth
    midline_x = mouth_mid[0] * t
    yaw_ratio = (pts[2, 0] - midline_x) / eye_distance
    yaw = math.degrees(math.atan(yaw_ratio / NOSE_DEPTH_PER_EYE_DISTANCE))
    # Vertical: nose height between eye and mouth lines compared to a frontal face.
    pitch_ratio = (FRONTAL_NOSE_HEIGHT - t) * math.cos(math.radians(yaw))
    pitch = math.degrees(math.atan(pitch_ratio / NOSE_DEPTH_PER_EYE_MOUTH))
    return HeadPose(yaw=yaw, pitch=pitch, roll=roll)
