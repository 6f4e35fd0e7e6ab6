import numpy as np
import pytest

from dp_agents.bev.camera import Camera, pinhole_camera, project_ground
from dp_agents.bev.fusion import bev_grid, fuse_views, psnr
from dp_agents.errors import StepInputError


def test_a_ground_point_straight_ahead_lands_on_the_centre_column():
    camera = pinhole_camera("c", (0.0, 0.0, 1.5), yaw_deg=90.0, pitch_deg=10.0)
    pixels, depth = project_ground(camera, np.array([[0.0, 8.0], [0.0, 20.0]]))
    assert np.allclose(pixels[:, 0], camera.cx) and (depth > 0).all()
    assert pixels[0, 1] > pixels[1, 1]  # the nearer point is lower in the image


def test_points_behind_the_camera_have_negative_depth():
    camera = pinhole_camera("c", (0.0, 0.0, 1.5), yaw_deg=0.0, pitch_deg=10.0)
    _, depth = project_ground(camera, np.array([[-5.0, 0.0]]))
    assert depth[0] < 0


def test_calibration_round_trips_through_json():
    camera = pinhole_camera("car2", (1.0, -2.0, 1.4), 45.0, 12.0, gain=0.9)
    assert Camera.from_json(camera.to_json()) == camera
    with pytest.raises(StepInputError):
        Camera.from_json({"name": "x"})


def test_bev_grid_is_north_up():
    grid = bev_grid(4, 2.0)
    assert grid[0, 0].tolist() == [-1.5, 1.5] and grid[-1, -1].tolist() == [1.5, -1.5]


def test_a_uniform_view_fuses_to_the_same_colour_where_seen():
    camera = pinhole_camera("c", (0.0, -15.0, 1.5), yaw_deg=90.0, pitch_deg=12.0, distortion=(0, 0, 0, 0, 0))
    image = np.full((camera.height, camera.width, 3), 120, np.uint8)
    fused = fuse_views([(image, camera)], size=80)
    assert 0 < fused.coverage < 1
    assert (fused.image[fused.known] == 120).all() and (fused.image[~fused.known] == 0).all()


def test_psnr_is_infinite_for_identical_and_finite_for_noisy_images():
    truth = np.full((10, 10, 3), 100, np.uint8)
    mask = np.ones((10, 10), bool)
    assert psnr(truth, truth, mask) == float("inf")
    assert 20 < psnr(truth + 5, truth, mask) < 40
