import { IsLoginField } from './login-field.js';

export class CreateSessionDto {
  /**
   * The DeepCall account id.
   * @example "demo"
   */
  @IsLoginField(128)
  userId: string;

  /**
   * The DeepCall API token of that account. Sent upstream once to log in, then kept only
   * encrypted on the server.
   * @example "demo-token"
   */
  @IsLoginField(512)
  token: string;
}
